// The compiled addon (node-gyp puts it under build/Release). Loaded by adapters/dvbcss/
// wallclock-native.ts, which falls back to the JS responder when this throws.
module.exports = require('./build/Release/wallclock_responder.node');
