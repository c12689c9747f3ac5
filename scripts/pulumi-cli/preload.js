// What `node --require` loads into both Node processes of a pulumi run before
// anything else: the program (Pulumi.yaml's nodeargs) and the
// dynamic-provider process (pulumi-resource-pulumi-nodejs). Each part says why.
"use strict";
require("./defer-serializer-deps");
require("./typescript-loader").register();
