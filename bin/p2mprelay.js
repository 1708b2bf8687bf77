#!/usr/bin/env node
require('../dist/src/cli/relay.js');
