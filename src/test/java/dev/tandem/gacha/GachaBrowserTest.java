package dev.tandem.gacha;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tandem.companion.Profile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The gacha in a real headless Chromium on a phone-sized window, by keyboard: the odds before signing in, a
 * ten-pull from the banner page with the Enter key, the reveal, and the check of that draw after rotating the seed.
 * Screenshots go to {@code target/gacha-screens} for a look.
 */
class GachaBrowserTest {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path DRIVER = Path.of("/usr/bin/chromedriver");
    static final Path SCREENS = Path.of("target/gacha-screens");
    static GachaWorld world;
    static Banner banner;
    static WebDriver browser;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER),
                "needs Debian's chromium and chromium-driver (apt-get install chromium chromium-driver)");
        world = GachaWorld.on("sqlite");
        Profile creator = world.person(40);
        banner = world.banner(world.set(creator, world.character(creator, "Sirius")), "Dog star");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=400,860", "--force-prefers-reduced-motion");
        browser = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort().build(), options);
        browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        Files.createDirectories(SCREENS);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (world != null) {
            world.close();
        }
    }

    static void screen(String name) throws Exception {
        Files.write(SCREENS.resolve(name + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }

    static WebElement labelled(String label) {
        WebElement l = browser.findElement(By.xpath("//label[starts-with(normalize-space(.), '" + label + "')]"));
        return browser.findElement(By.id(l.getDomAttribute("for")));
    }

    static WebDriverWait waiting() {
        return (WebDriverWait) new WebDriverWait(browser, Duration.ofSeconds(30))
                .ignoring(org.openqa.selenium.StaleElementReferenceException.class);
    }

    @Test
    void oddsBeforeSigningInThenATenPullByKeyboardRevealedAndChecked() throws Exception {
        browser.get(world.server.url("/banners/" + banner.id() + "/odds"));
        assertThat(browser.findElement(By.cssSelector("#rate-UR .overall")).getText()).isEqualTo("1.6052%");
        screen("odds");

        browser.get(world.server.url("/sign-up"));
        String handle = "kb_" + Long.toHexString(System.nanoTime() & 0xfffff);
        labelled("Email").sendKeys(handle + "@example.com");
        labelled("Your name").sendKeys("Kay");
        labelled("Handle").sendKeys(handle);
        ((JavascriptExecutor) browser).executeScript("arguments[0].value = arguments[1]", labelled("Birth date"),
                LocalDate.now().minusYears(30).toString());
        labelled("Password").sendKeys("correct horse battery" + Keys.ENTER);
        waiting().until(ExpectedConditions.presenceOfElementLocated(By.linkText("@" + handle)));
        world.gems(world.accounts.byHandle(handle).orElseThrow(), 1600);

        browser.get(world.server.url("/banners/" + banner.id()));
        screen("banner");
        WebElement ten = browser.findElement(By.xpath("//button[normalize-space(.)='10 pulls · 1600 gems']"));
        ten.sendKeys(Keys.ENTER);
        waiting().until(ExpectedConditions.titleContains("Your draw"));
        List<WebElement> cards = browser.findElements(By.cssSelector("ol.reveal li.drawn"));
        assertThat(cards).hasSize(10).allMatch(WebElement::isDisplayed);
        assertThat(cards.getFirst().getCssValue("animation-name")).as("reduced motion: no animation").isEqualTo("none");
        screen("reveal");

        browser.findElement(By.linkText("Check this draw")).sendKeys(Keys.ENTER);
        waiting().until(ExpectedConditions.presenceOfElementLocated(By.xpath(
                "//button[normalize-space(.)='Rotate and reveal the seed']"))).sendKeys(Keys.ENTER);
        waiting().until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".verdict.ok")));
        assertThat(browser.findElement(By.cssSelector("pre.command")).getText())
                .startsWith("java -jar tandem.jar gacha verify --server-seed ");
        screen("verify");
        browser.get(world.server.url("/gems"));
        screen("gems");
    }
}
