// Loads the New Relic agent only when a license key is present (production), so local runs and tests need none.
if (process.env.NEW_RELIC_LICENSE_KEY) {
  require('newrelic');
}
