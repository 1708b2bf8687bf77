#!/usr/bin/env node
require('../dist/src/cli/server.js');
