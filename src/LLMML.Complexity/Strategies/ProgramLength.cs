namespace LLMML.Complexity.Strategies;

/// <summary>
/// A program's length in bits = 8 × the bytes of its inference program + its payload bits (METHODS.md §4).
/// </summary>
/// <param name="Code">The inference program (one C# file per strategy).</param>
/// <param name="PayloadBits">Bits of the data the program reads: an arithmetic code, quantised weights, a mask, …</param>
/// <param name="IdealPayloadBits">For coded payloads, Σ −log₂ p of the coded tokens (what the code length approaches); null otherwise.</param>
/// <param name="PaperScriptBytes">
/// The size of the authors' script for the same kind of program (tvergara/sah: 369 plain prompt, 463 in-context
/// examples, 713 prequential training, 354 LoRA, 1,047 quantised LoRA), for the paper's accounting; null when the paper
/// has no such script (our own bytes are used there too).
/// </param>
public sealed record ProgramLength(FixedInferenceCode Code, long PayloadBits, double? IdealPayloadBits = null, int? PaperScriptBytes = null)
{
    /// <summary>The paper's script sizes (bytes).</summary>
    public const int PaperPlain = 369, PaperInContext = 463, PaperPrequential = 713, PaperLora = 354, PaperQuantisedLora = 1047;

    /// <summary>The program's source.</summary>
    public string FixedCode => Code.Text;

    /// <summary>Bytes of the inference program.</summary>
    public int FixedCodeBytes => Code.Bytes;

    /// <summary>8 × <see cref="FixedCodeBytes"/>.</summary>
    public long FixedCodeBits => 8L * FixedCodeBytes;

    /// <summary>The program's length in bits.</summary>
    public long Bits => FixedCodeBits + PayloadBits;

    /// <summary>8 × the paper's script bytes for this kind of program (our own when it has none).</summary>
    public long PaperFixedCodeBits => 8L * (PaperScriptBytes ?? FixedCodeBytes);
}
