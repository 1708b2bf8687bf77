#!/usr/bin/env node
require('../dist/src/cli/check.js');
