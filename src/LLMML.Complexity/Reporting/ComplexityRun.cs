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

    /// <summary>The payload file's bits, so the run's program can be executed (not written to the JSON).</summary>
    public Coding.CodedBits? Payload { get; init; }

    /// <summary>File name of the inference program ("lora.cs").</summary>
    public string ProgramFile { get; init; } = "";

    /// <summary>8 × the paper's script bytes for this kind of program (tvergara/sah), or 8 × ours where it has none.</summary>
    public long PaperFixedCodeBits { get; init; } = FixedCodeBits;

    /// <summary>The length with the paper's script sizes: <see cref="PaperFixedCodeBits"/> + payload.</summary>
    public long PaperBits => PaperFixedCodeBits + PayloadBits;

    /// <summary>Length under <paramref name="accounting"/>.</summary>
    public long BitsUnder(Accounting accounting) => accounting == Accounting.Paper ? PaperBits : Bits;

    /// <summary>False for an alternative the strategy's validation split did not choose; only chosen-on-test frontiers use it.</summary>
    public bool Selected { get; init; } = true;

    /// <summary>Numbers the strategy reported (steps, final loss, parameters, coded tokens).</summary>
    public IReadOnlyDictionary<string, double> Details { get; init; } = new Dictionary<string, double>();
}

/// <summary>How a program's fixed code is counted.</summary>
public enum Accounting
{
    /// <summary>The bytes of our inference program, as stored and run.</summary>
    Ours,

    /// <summary>The authors' script sizes for the same kind of program (369 / 463 / 713 / 354 / 1,047 bytes).</summary>
    Paper,
}
