#!/usr/bin/env bash
# Host firewall rule for connector networks (idempotent; needs root).
#
# Each connector runs on its own internal Docker network whose bridge the portal names "ghc-<id>".
# Docker's "internal" flag stops forwarding off that network, but not packets addressed to the host itself:
# without this rule a connector could open connections to any service listening on the host (its database,
# the Docker socket proxy, the portal). One wildcard rule closes that for every connector bridge, present
# and future: only replies to connections the host opened (the portal calling the connector) may come in.
set -euo pipefail

RULE=(INPUT -i ghc-+ -m conntrack ! --ctstate ESTABLISHED,RELATED -j DROP)

command -v iptables >/dev/null 2>&1 || { echo "[firewall] ERROR: iptables is missing (apt-get install iptables)" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || { echo "[firewall] ERROR: must run as root to change the host firewall" >&2; exit 1; }

if iptables -C "${RULE[@]}" 2>/dev/null; then
  echo "[firewall] connector input rule already present"
else
  iptables -I "${RULE[@]}"
  echo "[firewall] connector input rule installed: no new connections from connector networks to the host"
fi
