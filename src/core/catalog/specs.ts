import type { CatalogEntry } from './types.ts';

/** MESH0300–MESH0399: HTTPRouteGroup, TCPRoute and UDPRoute rules. */
export const specsCatalog = <const>[
  {
    code: 'MESH0301', name: 'http-route-group-without-matches', severity: 'error', area: 'rules/specs',
    message: 'HTTPRouteGroup has no matches: rules naming it allow nothing',
    doc: 'An HTTPRouteGroup is a list of named HTTP matches; without any, TrafficTarget rules that reference it grant no route. OSM skips such a group (E2006). '
      + 'A frequent cause is the v1alpha2 layout (`matches` at the top level) under `specs.smi-spec.io/v1alpha3` or later, which an API server silently prunes. '
      + 'Fix: add at least one entry under `spec.matches`. Anchor: OSM E2006; smi.md 1.5.',
  },
  {
    code: 'MESH0302', name: 'duplicate-match-name', severity: 'error', area: 'rules/specs',
    message: 'match name "{name}" is used twice in this HTTPRouteGroup (first at {first})',
    doc: 'The spec calls a match\'s `name` its primary key: TrafficTarget rules select matches by name, so two matches with one name make `matches: [name]` ambiguous (implementations pick either or both). '
      + 'Fix: give every match of the group a distinct name. Anchor: smi.md 2.3.',
  },
  {
    code: 'MESH0303', name: 'invalid-re2', severity: 'error', area: 'rules/specs',
    message: '{field} {pattern} is not a valid RE2 regular expression: {error}',
    doc: '`pathRegex` and header values are regular expressions in RE2 syntax — the dialect of Envoy\'s `safe_regex` (google_re2) and of Go. RE2 differs from JavaScript and PCRE: there are no lookarounds (`(?=…)`, `(?!…)`, `(?<=…)`), no backreferences (`\\1`), no possessive quantifiers, and named groups are written `(?P<name>…)`. '
      + 'Envoy rejects the whole route configuration when a regex does not compile (a NACK: the proxy keeps serving stale config). meshc checks every pattern with the real RE2 engine. '
      + 'Fix: rewrite the pattern in RE2 syntax (https://github.com/google/re2/wiki/Syntax). Anchor: retired IST0122 InvalidRegexp.',
  },
  {
    code: 'MESH0304', name: 'empty-path-regex', severity: 'warning', area: 'rules/specs',
    message: 'pathRegex is empty: read as the SMI spec says it allows every path, as an Envoy full match only the empty path',
    doc: 'An empty `pathRegex: ""` has no agreed meaning. Anchored at the start (the spec) it matches every path; as an Envoy full-match regex it matches only an empty path, which never occurs; OSM replaces it with `.*`. '
      + 'Fix: write `pathRegex: ".*"` to allow every path, or remove the field. Anchor: smi.md 4.23 (smi-adapter-istio traffictarget.yaml).',
  },
  {
    code: 'MESH0305', name: 'path-regex-anchoring', severity: 'info', area: 'rules/specs',
    message: 'pathRegex {pattern} admits different paths as a start-anchored match (SMI spec) and as a full match (Envoy, OSM); end it with ".*" or "$"',
    doc: 'The SMI spec anchors `pathRegex` at the start only, so `/api` also admits `/api/v1` and `/apix`. Envoy\'s `safe_regex` — which OSM passes `pathRegex` to — must match the whole path, so there `/api` admits only `/api` (osm#451, osm#454; traefik/mesh#414). '
      + 'meshc reports patterns where some ending of a match is neither `.*` (any tail) nor `$`/`\\z` (no tail), looking through groups and alternatives. '
      + 'Fix: say what you mean — `/api/.*` (the prefix) or `/api$` (exactly) — and both readings agree. Anchor: smi.md 4.1.',
  },
  {
    code: 'MESH0306', name: 'match-without-path-or-methods', severity: 'warning', area: 'rules/specs',
    message: 'match "{name}" has neither pathRegex nor methods: {scope}',
    doc: 'The prose says all fields of a match are required, yet header-only matches appear in its own examples, and the CRD requires only `name`. Implementations read a missing `pathRegex` as every path and missing `methods` as every method. '
      + 'A match with neither is therefore a wildcard (restricted only by its headers, if any), which is rarely intended for an access rule. '
      + 'Fix: add `pathRegex: ".*"` and `methods: ["*"]` if a wildcard is intended (it then reads as deliberate), or narrow the match. Anchor: smi.md 4.5; smi-spec#92; osm#5297.',
  },
  {
    code: 'MESH0307', name: 'unknown-http-method', severity: 'error', area: 'rules/specs', retired: true,
    message: 'method "{method}" is not an HTTP method SMI knows (GET, HEAD, PUT, POST, DELETE, CONNECT, OPTIONS, TRACE, PATCH or *)',
    doc: 'Retired: the HTTPRouteGroup schema of every version holds the method list, so an unknown method is reported as MESH0112 invalid-value at the method (listing the methods, with a did-you-mean such as GET for "get"). '
      + 'HTTPRouteGroup methods come from a fixed, upper-case list plus `*` for every method. Other values never match a request. Fix: use one of the listed methods, in upper case.',
  },
  {
    code: 'MESH0308', name: 'redundant-methods', severity: 'info', area: 'rules/specs',
    message: 'methods of match "{name}" list "*" next to {others}: "*" already allows every method',
    doc: '`*` next to other methods adds nothing: `*` already allows every method, and OSM collapses such lists to `["*"]` (osm#508, osm#509, osm#521). It often hides a mistake (a list meant to be narrow, with `*` left in). '
      + 'Fix: list only `*`, or only the methods to allow. A method listed twice is MESH0330.',
  },
  {
    code: 'MESH0309', name: 'empty-methods', severity: 'warning', area: 'rules/specs',
    message: 'methods of match "{name}" is an empty list, which implementations read as every method',
    doc: '`methods: []` looks like "no method", but the Go SDK drops empty lists (`omitempty`) and OSM turns an empty list into `["*"]`: the match allows every method. '
      + 'Fix: remove `methods` (every method) or list the methods to allow.',
  },
  {
    code: 'MESH0310', name: 'host-header-match', severity: 'warning', area: 'rules/specs',
    message: 'header "{header}" is matched against :authority by OSM, not as an ordinary header',
    doc: 'HTTP/2 carries the host in the `:authority` pseudo-header. OSM maps a `host` header match to `:authority`, and older OSM versions created outbound virtual hosts for the matched domains (osm#4056); other implementations match a literal `host` header. '
      + 'Access control by destination host is what the TrafficTarget destination expresses; a host regex in a route group is easy to get subtly wrong. Fix: remove the host match, or verify it against the exact authority clients send (including the port).',
  },
  {
    code: 'MESH0311', name: 'path-regex-query-string', severity: 'warning', area: 'rules/specs',
    message: 'pathRegex {pattern} of match "{match}" requires a literal "?", but the path never contains the query string, so it can never match: {fix}; an HTTPRouteGroup cannot match query parameters',
    doc: 'SMI `pathRegex` is matched against the request path only: the query string (everything from the first `?`) and the fragment are cut off first, by Envoy\'s path matchers, by OSM, and by `meshc why` and `meshc test`. '
      + 'A regex that can only match through a literal `?` (`\\?`, `[?]`, `\\x3F`, outside any optional part), such as `/search\\?q=.*`, therefore admits no request at all, and the rule that grants it allows nothing. '
      + 'Reported where the `?` is required on every way the regex can match. Fix: match the path alone (`/search`); SMI has no way to match query parameters.',
  },
  {
    code: 'MESH0320', name: 'route-port-out-of-range', severity: 'error', area: 'rules/specs', retired: true,
    message: 'port {port} is outside 1–65535',
    doc: 'Retired: the TCPRoute and UDPRoute schemas bound ports to 1–65535, so such a port is reported as MESH0112 invalid-value at the port ("ports are 1–65535"). '
      + 'TCPRoute and UDPRoute ports are destination ports. The CRDs set no bounds, but Envoy RBAC `destination_port` and listener ports are 16-bit, so the proxy rejects the configuration. Fix: use a port between 1 and 65535; `ports: []` means every port.',
  },
  {
    code: 'MESH0321', name: 'duplicate-route-port', severity: 'warning', area: 'rules/specs',
    message: 'port {port} is listed more than once',
    doc: 'A TCPRoute or UDPRoute port listed twice grants nothing more than listing it once, so the duplicate usually stands where another port was meant (for example 8443 next to 443) — and that port stays denied. '
      + 'Fix: remove the duplicate or correct it to the port you meant.',
  },
  {
    code: 'MESH0330', name: 'duplicate-methods', severity: 'info', area: 'rules/specs',
    message: 'methods of match "{name}" list {methods} more than once',
    doc: 'A method listed twice adds nothing (OSM collapses such lists, osm#508, osm#509, osm#521), and often hides a mistake: a copy-paste where another method was meant. '
      + 'Fix: list each method once. (`*` next to other methods is MESH0308.)',
  },
];
