/**
 * Node's flags for the production server (scripts/start.ts) and for the bench (package.json's "bench" passes
 * the same on its command line, since the bench serves the API routes in its own process and must measure
 * them as the server runs them).
 *
 * A larger young generation: the Object Changes and ingest routes make many short-lived objects per request
 * (a parsed body of up to 5 MB, a checked copy, the statement's JSON). With V8's default 16 MB semi-spaces
 * they were scavenged several times a request; at 64 MB the route spent ~7 % less CPU (the changes bench,
 * 100,000 changes, Node CPU 4.6-4.9 s -> 4.3 s). It costs at most ~150 MB more memory.
 */
export const SERVER_NODE_FLAGS = ['--max-semi-space-size=64'];
