/** The message of the config error `fn` throws; fails the test when it throws none. */
export function configErrorOf(fn: () => unknown): string {
    try {
        fn();
    } catch (e) {
        return (e as Error).message;
    }
    throw new Error("expected the config to be rejected");
}
