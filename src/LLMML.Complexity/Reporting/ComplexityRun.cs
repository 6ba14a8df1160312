namespace LLMML.Complexity.Reporting;

/// <summary>One program, run: which model and strategy, its length and its score.</summary>
/// <param name="Model">Model name.</param>
/// <param name="Strategy">Strategy name.</param>
/// <param name="Configuration">The configuration within the strategy.</param>
/// <param name="FixedCodeBits">8 × UTF-8 bytes of the rendered inference code.</param>
/// <param name="PayloadBits">Payload bits (for coded payloads: the arithmetic coder's output length).</param>
/// <param name="Score">The metric on the test split.</param>
/// <param name="Seconds">Wall time to build and score the program.</param>
/// <param name="IdealPayloadBits">Σ −log₂ p of coded payloads; null for other payloads.</param>
public sealed record ComplexityRun(
    string Model, string Strategy, string Configuration, long FixedCodeBits, long PayloadBits, double Score, double Seconds,
    double? IdealPayloadBits = null)
{
    /// <summary>The program's length: fixed code + payload.</summary>
    public long Bits => FixedCodeBits + PayloadBits;

    /// <summary>log₂ of <see cref="Bits"/> (the plot's x axis).</summary>
    public double Log2Bits => Math.Log2(Bits);

    /// <summary>The rendered inference code whose bytes <see cref="FixedCodeBits"/> counts ("" when not recorded).</summary>
    public string FixedCode { get; init; } = "";

    /// <summary>Numbers the strategy reported (steps, final loss, parameters, coded tokens).</summary>
    public IReadOnlyDictionary<string, double> Details { get; init; } = new Dictionary<string, double>();
}
