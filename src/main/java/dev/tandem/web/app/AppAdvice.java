package dev.tandem.web.app;

import dev.tandem.companion.CompanionException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.multipart.MaxUploadSizeExceededException;

/** Turns the app's refusals into pages: sign-in when there is no session, a page that says why otherwise. */
@ControllerAdvice(basePackageClasses = AppAdvice.class)
class AppAdvice {

    private final AppContext context;

    AppAdvice(AppContext context) {
        this.context = context;
    }

    @ExceptionHandler(CompanionException.class)
    String refused(CompanionException e, HttpServletRequest request, HttpServletResponse response, Model model) {
        if (e.reason() == CompanionException.Reason.UNAUTHENTICATED && "GET".equals(request.getMethod())) {
            return "redirect:/sign-in?next=" + URLEncoder.encode(request.getRequestURI(), StandardCharsets.UTF_8);
        }
        response.setStatus(e.reason().status());
        context.page(request, model, switch (e.reason()) {
            case NOT_FOUND -> "Not found";
            case UNAUTHENTICATED -> "Sign in";
            case FORBIDDEN -> "Not allowed";
            case UNAVAILABLE -> "Try again";
            default -> "Please check";
        });
        model.addAttribute("message", e.getMessage());
        return "app/problem";
    }

    @ExceptionHandler(MaxUploadSizeExceededException.class)
    String tooLarge(HttpServletRequest request, HttpServletResponse response, Model model) {
        response.setStatus(413);
        context.page(request, model, "Too large");
        model.addAttribute("message", "The file is too large: the most is 32 MiB.");
        return "app/problem";
    }
}
