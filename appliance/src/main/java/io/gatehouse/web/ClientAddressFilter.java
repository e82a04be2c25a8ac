package io.gatehouse.web;

import io.gatehouse.audit.Origin;
import io.gatehouse.auth.SessionCookies;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.netty.handler.ipfilter.IpFilterRuleType;
import io.netty.handler.ipfilter.IpSubnetFilterRule;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Finds the real client address once per request, for rate limits, sessions and logs. Behind the reverse
 * proxy (Caddy in the compose stack) every connection comes from the proxy, so {@code X-Forwarded-For} is
 * read — but only when the connection comes from an address in GATEHOUSE_TRUSTED_PROXIES, and then the
 * right-most entry that is not itself a trusted proxy is taken: anything further left was written by the
 * client and can be forged. Also gives every request an id (X-Request-Id, echoed in the response) for the audit trail.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
final class ClientAddressFilter implements Ordered {

    static final String REQUEST_ID_HEADER = "X-Request-Id";
    private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private final List<IpSubnetFilterRule> trusted;

    ClientAddressFilter(@Nullable @Value("${gatehouse.trusted-proxies:}") String trustedProxies) {
        this.trusted = trustedProxies == null || trustedProxies.isBlank() ? List.of()
                : Arrays.stream(trustedProxies.split(",")).map(String::strip).filter(s -> !s.isEmpty()).map(ClientAddressFilter::rule).toList();
    }

    private static IpSubnetFilterRule rule(String cidr) {
        int slash = cidr.indexOf('/');
        try {
            InetAddress address = InetAddress.getByName(slash < 0 ? cidr : cidr.substring(0, slash));
            int bits = slash < 0 ? address.getAddress().length * 8 : Integer.parseInt(cidr.substring(slash + 1));
            return new IpSubnetFilterRule(address, bits, IpFilterRuleType.ACCEPT);
        } catch (UnknownHostException | IllegalArgumentException e) {
            throw new IllegalArgumentException("GATEHOUSE_TRUSTED_PROXIES: '" + cidr + "' is not an IP address or CIDR range (e.g. 172.18.0.0/16)", e);
        }
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 1;
    }

    @RequestFilter
    void resolve(HttpRequest<?> request) {
        InetSocketAddress peer = request.getRemoteAddress();
        String client = peer.getAddress() == null ? peer.getHostString() : peer.getAddress().getHostAddress();
        if (isTrusted(peer)) {
            List<String> hops = request.getHeaders().getAll("X-Forwarded-For").stream()
                    .flatMap(h -> Arrays.stream(h.split(","))).map(String::strip).filter(s -> !s.isEmpty()).toList();
            for (int i = hops.size() - 1; i >= 0; i--) {
                InetSocketAddress hop = literal(hops.get(i));
                if (hop == null) {
                    break; // not an address: stop at what we can vouch for
                }
                client = hop.getAddress().getHostAddress();
                if (!isTrusted(hop)) {
                    break;
                }
            }
        }
        request.setAttribute(SessionCookies.CLIENT_IP_ATTRIBUTE, client);
        // The request id ties audit rows to log lines; a trusted proxy's own id is kept, anyone else's is not.
        String given = request.getHeaders().get(REQUEST_ID_HEADER);
        request.setAttribute(Origin.REQUEST_ID_ATTRIBUTE, given != null && isTrusted(peer) && REQUEST_ID.matcher(given).matches()
                ? given : UUID.randomUUID().toString());
    }

    @ResponseFilter
    void echoRequestId(HttpRequest<?> request, MutableHttpResponse<?> response) {
        request.getAttribute(Origin.REQUEST_ID_ATTRIBUTE, String.class).ifPresent(id -> response.getHeaders().set(REQUEST_ID_HEADER, id));
    }

    private boolean isTrusted(InetSocketAddress address) {
        return address.getAddress() != null && trusted.stream().anyMatch(r -> r.matches(address));
    }

    /** Only IP literals; never a DNS lookup for a header value. */
    private static InetSocketAddress literal(String value) {
        if (!value.matches("[0-9a-fA-F:.]+")) {
            return null;
        }
        try {
            return new InetSocketAddress(InetAddress.ofLiteral(value), 0);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
