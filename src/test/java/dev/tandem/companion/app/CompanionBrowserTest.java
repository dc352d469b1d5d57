package dev.tandem.companion.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tandem.support.Closing;
import dev.tandem.support.TandemServer;
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
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The companion app in a real headless Chromium (Debian's {@code chromium} and {@code chromium-driver}, which
 * {@code .ci/run} installs): sign up, import a card PNG, start a chat and see the streamed reply, swipe to an
 * alternative, edit a memory — by the labels and buttons a person uses.
 */
class CompanionBrowserTest {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path DRIVER = Path.of("/usr/bin/chromedriver");
    static TandemServer server;
    static WebDriver browser;

    @BeforeAll
    static void start() {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER),
                "needs Debian's chromium and chromium-driver (apt-get install chromium chromium-driver)");
        server = TandemServer.start(CompanionAppTest.settings());
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=420,900");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        Closing.all(server);
    }

    WebElement labelled(String label) {
        WebElement l = browser.findElement(By.xpath("//label[starts-with(normalize-space(.), '" + label + "')]"));
        return browser.findElement(By.id(l.getDomAttribute("for")));
    }

    WebElement button(String text) {
        return browser.findElement(By.xpath("//button[normalize-space(.)='" + text + "'] | //input[@type='submit'"
                + " and @value='" + text + "']"));
    }

    /** Clicks as a person would after scrolling the element to the middle of the screen. */
    void click(WebElement element) {
        ((JavascriptExecutor) browser).executeScript("arguments[0].scrollIntoView({block: 'center'})", element);
        element.click();
    }

    WebDriverWait waiting() {
        // the page reloads when a reply is done: an element found just before it is gone just after
        return (WebDriverWait) new WebDriverWait(browser, Duration.ofSeconds(60))
                .ignoring(org.openqa.selenium.StaleElementReferenceException.class);
    }

    void signUp(String handle) {
        browser.manage().deleteAllCookies();
        browser.get(server.url("/sign-up"));
        labelled("Email").sendKeys(handle + "@example.com");
        labelled("Your name").sendKeys("Robin");
        labelled("Handle").sendKeys(handle);
        ((JavascriptExecutor) browser).executeScript("arguments[0].value = arguments[1]", labelled("Birth date"),
                LocalDate.now().minusYears(28).toString());
        labelled("Password").sendKeys("correct horse battery");
        click(button("Create account"));
        waiting().until(ExpectedConditions.presenceOfElementLocated(By.linkText("@" + handle)));
    }

    @Test
    void aCardWithScriptInEveryFieldShowsItAsTextAndRunsNothing() throws Exception {
        signUp("robin_safety");
        Path card = Files.createTempFile("hostile", ".json");
        Files.write(card, UntrustedInputTest.hostileCard());
        browser.get(server.url("/import"));
        labelled("Card file").sendKeys(card.toString());
        click(button("Import"));
        waiting().until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("main.character h1")));
        assertThat(browser.findElement(By.cssSelector("main.character h1")).getText())
                .startsWith("<script>document.title='pwned'</script>");
        click(button("Start a new chat"));
        waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("text")));
        assertThat(browser.findElement(By.cssSelector("li.line.char .text")).getText()).contains("onerror=");
        assertThat(browser.getTitle()).as("no script set the title").isNotEqualTo("pwned").startsWith("<script>");
        assertThat(browser.findElements(By.cssSelector("main img[src='x']"))).isEmpty();
    }

    @Test
    void signUpImportChatSwipeAndEditAMemory() throws Exception {
        signUp("robin_browser");

        browser.get(server.url("/import"));
        labelled("Card file").sendKeys(CompanionAppTest.SERAPHINA.toAbsolutePath().normalize().toString());
        click(button("Import"));
        waiting().until(ExpectedConditions.titleContains("Seraphina"));
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Seraphina");

        click(button("Start a new chat"));
        waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("text")));
        int before = browser.findElements(By.cssSelector("li.line.char")).size();
        labelled("Your message").sendKeys("I love hiking in the mountains near my home.");
        click(button("Send"));
        // the script streams the reply into the page, then shows it with its tools
        waiting().until(d -> d.findElements(By.cssSelector("li.line.char")).size() == before + 1
                && !d.findElements(By.cssSelector("li.line.char:last-child .count")).isEmpty());
        List<WebElement> replies = browser.findElements(By.cssSelector("li.line.char"));
        String first = replies.getLast().findElement(By.className("text")).getText();
        assertThat(first).isNotBlank();
        assertThat(browser.findElement(By.cssSelector("li.line.user .text")).getText())
                .isEqualTo("I love hiking in the mountains near my home.");

        click(button("New alternative"));
        waiting().until(d -> d.findElement(By.cssSelector("li.line.char:last-child .count")).getText().equals("2/2"));
        click(browser.findElement(By.cssSelector("button[aria-label='Previous alternative']")));
        waiting().until(d -> d.findElement(By.cssSelector("li.line.char:last-child .count")).getText().equals("1/2"));
        assertThat(browser.findElement(By.cssSelector("li.line.char:last-child .text")).getText()).isEqualTo(first);

        click(browser.findElement(By.linkText("Memories")));
        waiting().until(ExpectedConditions.titleContains("Memories"));
        WebElement memory = browser.findElement(By.cssSelector("li.memory textarea"));
        assertThat(memory.getText()).contains("hiking");
        memory.clear();
        memory.sendKeys("{{user}} loves climbing in the Alps");
        click(browser.findElement(By.cssSelector("li.memory")).findElement(By.xpath(".//button[.='Save']")));
        waiting().until(d -> d.findElement(By.cssSelector("li.memory textarea")).getText().contains("Alps"));
    }
}
