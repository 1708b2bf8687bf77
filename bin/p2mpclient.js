#!/usr/bin/env node
require('../dist/src/cli/client.js');
