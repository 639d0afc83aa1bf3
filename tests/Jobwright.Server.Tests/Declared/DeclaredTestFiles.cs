namespace Jobwright.Server.Tests.Declared;

/// <summary>The operations file the declared-operation tests run, written to a temp directory.</summary>
internal static class DeclaredTestFiles
{
    public const string Yaml = """
        operations:
          - name: Echo
            group: Test
            parameters:
              text: { type: string, required: true }
            steps:
              - name: Print
                run: ["/usr/bin/printf", "%s", "{text}"]
          - name: Exit
            group: Test
            parameters:
              code: { type: integer, required: true, minimum: 0, maximum: 255 }
            steps:
              - name: Exit
                run: ["/bin/sh", "-c", "echo going to exit $JOBWRIGHT_CODE >&2; exit $JOBWRIGHT_CODE"]
                exitCodes: { "3": warning, "4": failed, "75": retry-later }
          - name: ExitThenOk
            group: Test
            parameters:
              code: { type: integer, required: true }
            steps:
              - name: Exit
                run: ["/bin/sh", "-c", "exit $JOBWRIGHT_CODE"]
                exitCodes: { "4": failed }
                continueOnError: true
              - name: Fine
                run: ["/bin/true"]
          - name: ThreeSteps
            group: Test
            steps:
              - { name: First, run: ["/bin/true"] }
              - { name: Second, run: ["/bin/false"] }
              - { name: Third, run: ["/bin/true"] }
          - name: Sleep
            group: Test
            target: "sleeper-{seconds}"
            parameters:
              seconds: { type: integer, required: true }
            whenTargetBusy: { policy: retryLater, retryAfter: 45s }
            steps:
              - name: Sleep
                run: ["/bin/sh", "-c", "sleep $0 & sleep $0; wait", "{seconds}"]
          - name: SleepTimeout
            group: Test
            timeout: 1s
            parameters:
              seconds: { type: integer, required: true }
            steps:
              - name: Sleep
                run: ["/bin/sh", "-c", "sleep $0 & sleep $0; wait", "{seconds}"]
          - name: Flaky
            group: Test
            retry: { maxAttempts: 3, delay: 100ms, on: [retry-later] }
            steps:
              - name: Try
                run: ["/bin/sh", "-c", "exit 75"]
                exitCodes: { "75": retry-later }
          - name: Archive
            group: Files
            target: "{path}"
            parameters:
              path: { type: string, required: true, pattern: "^/[\\w/.-]+$" }
              level: { type: integer, default: 6, minimum: 1, maximum: 9 }
              mode: { type: string, enum: [fast, safe] }
              token: { type: string, sensitive: true }
            steps:
              - name: Check
                run: ["/bin/sh", "-c", "test -n \"$JOBWRIGHT_TOKEN\""]
        """;

    public static string Write(string directory, string name = "operations.yaml", string text = Yaml)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, name);
        File.WriteAllText(path, text);
        return path;
    }
}
