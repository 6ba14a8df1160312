using System.Globalization;

namespace LLMML.HostileInputs.Tests.Support;

/// <summary>
/// How many generated cases a property test runs: few by default (seconds); LLMML_HOSTILE_SOAK=1 (or true) runs 100×
/// as many, LLMML_HOSTILE_SOAK=N runs N× as many.
/// </summary>
public static class Soak
{
    public static long Factor => Environment.GetEnvironmentVariable("LLMML_HOSTILE_SOAK") switch
    {
        null or "" or "0" or "false" => 1,
        "1" or "true" => 100,
        var text when long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) => n,
        var text => throw new FormatException($"LLMML_HOSTILE_SOAK='{text}' is neither true/false nor a whole number."),
    };

    public static long Iterations(long fast) => fast * Factor;
}
