// Three suites: unit (pure functions and component graphs under mocks),
// integration (providers against real hosts), e2e (the real pulumi CLI).
const project = (name, timeout) => ({
    displayName: name,
    preset: "ts-jest",
    testEnvironment: "node",
    testMatch: [`<rootDir>/tests/${name}/**/*.test.ts`],
    // Transpiled file by file (tsconfig.test.json: isolatedModules): scripts/test.sh type-checks
    // the whole project with tsc first, so each suite need not type-check every file again.
    transform: { "^.+\\.ts$": ["ts-jest", { tsconfig: "<rootDir>/tsconfig.test.json", diagnostics: { warnOnly: false } }] },
});
module.exports = {
    projects: [project("unit"), project("integration"), project("e2e")],
};
