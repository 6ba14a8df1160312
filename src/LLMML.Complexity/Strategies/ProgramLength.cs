using System.Text;

namespace LLMML.Complexity.Strategies;

/// <summary>
/// A program's length in bits = 8 × the UTF-8 bytes of its fixed inference code + its payload bits (METHODS.md §4).
/// The code is the program text with this configuration's parameters written in, so hyper-parameters are paid for too.
/// </summary>
/// <param name="FixedCode">The decoding program's text (see <see cref="FixedInferenceCode"/>).</param>
/// <param name="PayloadBits">Bits of the data the code reads: an arithmetic code, quantised weights, …</param>
/// <param name="IdealPayloadBits">For coded payloads, Σ −log₂ p of the coded tokens (what the code length approaches); null otherwise.</param>
public sealed record ProgramLength(string FixedCode, long PayloadBits, double? IdealPayloadBits = null)
{
    /// <summary>UTF-8 bytes of <see cref="FixedCode"/>.</summary>
    public int FixedCodeBytes => Encoding.UTF8.GetByteCount(FixedCode);

    /// <summary>8 × <see cref="FixedCodeBytes"/>.</summary>
    public long FixedCodeBits => 8L * FixedCodeBytes;

    /// <summary>The program's length in bits.</summary>
    public long Bits => FixedCodeBits + PayloadBits;
}
