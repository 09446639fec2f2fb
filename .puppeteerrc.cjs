// digest drives the system's Chromium (see src/pdf/browser.ts): never download one.
module.exports = { skipDownload: true };
