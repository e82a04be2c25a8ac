package io.gatehouse.openai;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.error.GatehouseException;
import io.gatehouse.model.ModelCallException;

/** Errors in OpenAI's shape ({@code {"error":{"message","type","param","code"}}}) for the /v1 API. */
public final class OpenAiErrors {

    private OpenAiErrors() {
    }

    public static ObjectNode body(ObjectMapper json, int status, String message, String param, String code) {
        ObjectNode root = json.createObjectNode();
        ObjectNode error = root.putObject("error");
        error.put("message", message);
        error.put("type", typeFor(status));
        if (param == null) {
            error.putNull("param");
        } else {
            error.put("param", param);
        }
        if (code == null) {
            error.putNull("code");
        } else {
            error.put("code", code);
        }
        return root;
    }

    static String streamError(ObjectMapper json, RuntimeException e) {
        int status = e instanceof GatehouseException g ? g.status().getCode() : 502;
        String code = e instanceof ModelCallException m ? m.kind().name().toLowerCase() : null;
        return body(json, status, e.getMessage() == null ? "The answer was interrupted." : e.getMessage(), null, code).toString();
    }

    /** OpenAI's error type names, so client libraries raise the matching exception class. */
    static String typeFor(int status) {
        return switch (status) {
            case 400, 404, 409, 413, 415, 422 -> "invalid_request_error";
            case 401 -> "authentication_error";
            case 403 -> "permission_error";
            case 429 -> "rate_limit_error";
            default -> "api_error";
        };
    }
}
