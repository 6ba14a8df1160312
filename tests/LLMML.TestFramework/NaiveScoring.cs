using LLMML.LanguageModels.Generation;
using static TorchSharp.torch;

namespace LLMML.TestFramework;

/// <summary>
/// The reference the scorers are checked against: one unpadded, uncached forward of exactly prompt + continuation,
/// log-softmax in double, each token read at its own position — no batching, padding, trie or cache.
/// </summary>
public static class NaiveScoring
{
    /// <summary>Σ_j log p(continuation[j] | prompt, continuation[..j]), natural log.</summary>
    public static double LogLikelihood(LanguageModel lm, IReadOnlyList<int> prompt, IReadOnlyList<int> continuation)
    {
        var sequence = prompt.Concat(continuation).Select(x => (long)x).ToArray();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        using var mode = LLMML.LanguageModels.Modeling.ModuleMode.Evaluation(lm.Model);
        var logProbs = lm.Model.forward(tensor(sequence[..^1], [1, sequence.Length - 1])).squeeze(0).to_type(ScalarType.Float64).log_softmax(-1);   // [T − 1, V]
        double sum = 0;
        for (var j = 0; j < continuation.Count; j++) sum += logProbs[prompt.Count - 1 + j, continuation[j]].item<double>();
        return sum;
    }

    /// <summary>log p(continuation | prompt) with both encoded on their own.</summary>
    public static double LogLikelihood(LanguageModel lm, string prompt, string continuation) =>
        LogLikelihood(lm, lm.Encode(prompt), lm.Encode(continuation));

    /// <summary>The same in bits: −log₂ p, the ideal code length.</summary>
    public static double Bits(LanguageModel lm, IReadOnlyList<int> prompt, IReadOnlyList<int> continuation) =>
        -LogLikelihood(lm, prompt, continuation) / Math.Log(2);
}
