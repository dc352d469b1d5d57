package dev.tandem.web.app;

import dev.tandem.gacha.GachaException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;

/** Turns the gacha's refusals into the app's problem page, with the status their reason says. */
@ControllerAdvice(basePackageClasses = GachaAdvice.class)
class GachaAdvice {

    private final AppContext context;

    GachaAdvice(AppContext context) {
        this.context = context;
    }

    @ExceptionHandler(GachaException.class)
    String refused(GachaException e, HttpServletRequest request, HttpServletResponse response, Model model) {
        response.setStatus(e.reason().status());
        context.page(request, model, switch (e.reason()) {
            case NOT_FOUND -> "Not found";
            case FORBIDDEN -> "Not allowed";
            case INSUFFICIENT -> "Not enough";
            case CONFLICT -> "Please reload";
            case INVALID -> "Please check";
        });
        model.addAttribute("message", e.getMessage());
        return "app/problem";
    }
}
