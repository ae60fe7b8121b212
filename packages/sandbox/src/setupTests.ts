// Starting a sandbox (git repositories, TLS, seeded clusters) takes seconds on a busy 2-core machine: every test file
// here starts one in a hook, so the default 5 s is too short when CI runs other suites beside it.
jest.setTimeout(30_000);
