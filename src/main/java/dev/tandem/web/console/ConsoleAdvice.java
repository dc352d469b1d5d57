package dev.tandem.web.console;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;

/** Turns the console's refusals into pages: sign-in for no session, an error page for the rest. */
@ControllerAdvice(basePackageClasses = ConsoleAdvice.class)
class ConsoleAdvice {

    @ExceptionHandler(SignInRequired.class)
    String signIn(HttpServletRequest request, HttpServletResponse response) {
        if (request.getHeader("hx-request") != null) {
            // htmx follows redirects inside the page; this makes it load the sign-in page instead
            response.setHeader("HX-Redirect", "/console/sign-in");
            response.setStatus(401);
            return "console/problem";
        }
        return "redirect:/console/sign-in";
    }

    @ExceptionHandler(ConsoleProblem.class)
    String problem(ConsoleProblem problem, HttpServletResponse response, Model model) {
        response.setStatus(problem.status());
        model.addAttribute("title", problem.status() == 404 ? "Not found" : "Not allowed");
        model.addAttribute("message", problem.getMessage());
        return "console/problem";
    }
}
