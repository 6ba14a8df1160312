namespace LLMML.HostileInputs.Tests.Support;

/// <summary>How many generated cases a property test runs: few by default (seconds), 100× with LLMML_HOSTILE_SOAK=1.</summary>
public static class Soak
{
    public static bool Enabled => Environment.GetEnvironmentVariable("LLMML_HOSTILE_SOAK") is "1" or "true";

    public static long Iterations(long fast) => Enabled ? fast * 100 : fast;
}
