package dev.tandem;

import dev.tandem.billing.LedgerCheck;
import dev.tandem.gacha.VerifyCommand;
import java.io.PrintStream;
import java.util.Arrays;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Tandem: one multi-tenant model API (OpenAI, Anthropic and MiniMax dialects) over local and remote engines.
 * See {@code docs/ARCHITECTURE.md} in the shared docs for the design; each top-level package is a module.
 *
 * <p>Without arguments it runs the server. {@code ledger verify} recomputes every balance of the ledger and exits
 * with 1 when any differs (0 when all agree). {@code gacha verify ...} recomputes a provably fair draw from its
 * revealed server seed, without Spring ({@link VerifyCommand}).
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class TandemApplication {

    public static void main(String[] args) {
        String logFormat = System.getenv("TANDEM_LOG_FORMAT");
        if ("json".equalsIgnoreCase(logFormat) && System.getProperty("logging.structured.format.console") == null) {
            // one JSON object per line (Elastic Common Schema), MDC fields such as request_id included
            System.setProperty("logging.structured.format.console", "ecs");
        }
        if (args.length >= 2 && args[0].equals("ledger") && args[1].equals("verify")) {
            System.exit(verifyLedger(Arrays.copyOfRange(args, 2, args.length), System.out));
        }
        if (args.length >= 2 && args[0].equals("gacha") && args[1].equals("verify")) {
            System.exit(VerifyCommand.run(Arrays.copyOfRange(args, 2, args.length), System.out));
        }
        if (args.length > 0 && !args[0].startsWith("-")) {
            System.err.println("unknown command '" + String.join(" ", args) + "'; commands: ledger verify, gacha verify");
            System.exit(2);
        }
        SpringApplication.run(TandemApplication.class, args);
    }

    /** Runs {@code ledger verify} on the configured database without the web server or models. */
    static int verifyLedger(String[] args, PrintStream out) {
        SpringApplication app = new SpringApplication(TandemApplication.class);
        app.setWebApplicationType(WebApplicationType.NONE);
        app.setLazyInitialization(true);
        app.setBannerMode(Banner.Mode.OFF);
        try (ConfigurableApplicationContext context = app.run(args)) {
            LedgerCheck.Report report = context.getBean(LedgerCheck.class).verify();
            out.println("ledger: " + report.accounts() + " accounts, " + report.transactions() + " transactions");
            report.problems().forEach(p -> out.println("DIFFERENCE " + p));
            out.println(report.clean() ? "ledger: every balance agrees with its entries" : "ledger: "
                    + report.problems().size() + " difference(s)");
            return report.clean() ? 0 : 1;
        }
    }
}
