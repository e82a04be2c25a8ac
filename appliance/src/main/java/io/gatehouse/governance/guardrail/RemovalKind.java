package io.gatehouse.governance.guardrail;

/**
 * What a removal was, as the person's notice names it ("1 API key, 2 internal addresses"). The removed text is
 * never part of the description. Kinds without a check are always removed (images, links to sites not on the
 * allowed list, embedded HTML): they are how a planted instruction smuggles data out of an answer.
 */
enum RemovalKind {
    API_KEY(Check.SECRETS, "API key", "API keys"),
    ACCESS_TOKEN(Check.SECRETS, "access token", "access tokens"),
    PRIVATE_KEY(Check.SECRETS, "private key", "private keys"),
    CREDENTIAL(Check.SECRETS, "password or secret", "passwords or secrets"),
    CONNECTION_STRING(Check.SECRETS, "connection string with credentials", "connection strings with credentials"),
    INTERNAL_ADDRESS(Check.INTERNAL_ADDRESSES, "internal address", "internal addresses"),
    SQL(Check.SQL, "SQL statement", "SQL statements"),
    IDENTIFIER(Check.IDENTIFIERS, "table or column name", "table or column names"),
    CODE_BLOCK(Check.CODE_BLOCKS, "code block", "code blocks"),
    IMAGE(null, "image", "images"),
    LINK(null, "link to a site not on the allowed list", "links to sites not on the allowed list"),
    EMBEDDED_HTML(null, "embedded HTML element", "embedded HTML elements");

    final Check check;
    private final String singular;
    private final String plural;

    RemovalKind(Check check, String singular, String plural) {
        this.check = check;
        this.singular = singular;
        this.plural = plural;
    }

    String describe(int count) {
        return count + " " + (count == 1 ? singular : plural);
    }
}
