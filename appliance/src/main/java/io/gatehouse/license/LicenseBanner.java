package io.gatehouse.license;

import io.gatehouse.auth.Caller;
import io.micronaut.http.HttpRequest;
import io.micronaut.views.ModelAndView;
import io.micronaut.views.model.ViewModelProcessor;
import jakarta.inject.Singleton;
import java.util.HashMap;
import java.util.Map;

/**
 * Puts {@code licenseBanner} (the status message, and the warning when the license is signed only by a key from
 * GATEHOUSE_LICENSE_PUBLIC_KEYS) into every page an admin sees while the license needs attention; the nav fragment
 * shows it. Computed in memory from the status, so it costs no query per page.
 */
@Singleton
final class LicenseBanner implements ViewModelProcessor<Map<String, Object>> {

    static final String MODEL_KEY = "licenseBanner";

    private final Licensing licensing;

    LicenseBanner(Licensing licensing) {
        this.licensing = licensing;
    }

    @Override
    public void process(HttpRequest<?> request, ModelAndView<Map<String, Object>> modelAndView) {
        Map<String, Object> model = modelAndView.getModel().orElse(null);
        if (model == null || !(model.get("caller") instanceof Caller caller) || !caller.admin()) {
            return;
        }
        LicenseStatus status = licensing.status();
        if (status.needsAttention()) {
            Map<String, Object> withBanner = new HashMap<>(model); // page models are often immutable Map.of(...)
            Map<String, Object> banner = new HashMap<>(); // message and keyWarning may be null (Map.of refuses nulls)
            banner.put("state", status.state().name());
            banner.put("message", status.message());
            banner.put("keyWarning", status.keyWarning());
            banner.put("readOnly", status.readOnly());
            withBanner.put(MODEL_KEY, banner);
            modelAndView.setModel(withBanner);
        }
    }

}
