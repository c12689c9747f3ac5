// Loaded with `node --require` into both Node processes of a pulumi run: the
// program (Pulumi.yaml's nodeargs) and the dynamic-provider process
// (pulumi-resource-pulumi-nodejs).
//
// @pulumi/pulumi's runtime index loads its function serializer eagerly, and
// with it TypeScript (to parse function text) and @npmcli/arborist (to find
// the packages a serialized function needs): about 450 modules, 0.9 s of
// every start on a two-core machine. Neither process here serializes a
// function (the shims in the state are written as text, providers/thin.ts),
// so those two modules are given to the serializer as stand-ins that load
// the real module on first use. Nothing else is touched; a serializer that
// runs after all still gets the real modules.
"use strict";
const Module = require("module");
const path = require("path");

const serializerDir = `${path.sep}${path.join("@pulumi", "pulumi", "runtime", "closure")}${path.sep}`;
const deferred = new Set(["@npmcli/arborist", "../../typescript-shim"]);
const load = Module._load;

Module._load = function (request, parent, isMain) {
    if (!deferred.has(request) || !parent?.filename?.includes(serializerDir)) return load.apply(this, arguments);
    let real;
    const get = () => (real ??= load.call(Module, request, parent, isMain));
    return new Proxy({}, {
        // The serializer's __importStar asks for __esModule when it loads: answering
        // it keeps the stand-in itself, rather than a copy of the real module's keys.
        get: (_t, key) => (key === "__esModule" && real === undefined ? true : Reflect.get(get(), key)),
        has: (_t, key) => Reflect.has(get(), key),
        ownKeys: () => Reflect.ownKeys(get()),
        getOwnPropertyDescriptor: (_t, key) => {
            const d = Reflect.getOwnPropertyDescriptor(get(), key);
            return d && { ...d, configurable: true };
        },
    });
};
