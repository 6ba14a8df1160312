using LLMML.LanguageModels.Generation;
using LLMML.LanguageModels.Modeling;
using LLMML.LanguageModels.Tokenization;
using LLMML.MLNet.Tasks;
using Microsoft.ML;
using static TorchSharp.torch;

namespace LLMML.Complexity.Tests;

/// <summary>A tiny random GPT-2 over a character alphabet, small arithmetic rows, and the naive references.</summary>
internal static class TinyModels
{
    public const string Alphabet = "0123456789+x= ?abyesno\n";

    public static LanguageModel Create(int seed = 7, int context = 48, double sharpen = 1)
    {
        manual_seed(seed);
        var tokenizer = new CharacterTokenizer(Alphabet);
        var config = TransformerConfig.Gpt2(32, 2, 4, tokenizer.VocabularySize, context) with
        {
            BosTokenId = tokenizer.BosId,
            EosTokenId = tokenizer.EosId,
            PadTokenId = tokenizer.PadId,
        };
        var model = new CausalLanguageModel(config);
        if (sharpen != 1)
            using (no_grad())
                foreach (var (_, p) in model.named_parameters())
                    if (p.dim() == 2) p.mul_(sharpen);
        return new LanguageModel(model, tokenizer);
    }

    /// <summary>"i + j =" → (i + j) mod 10, a few dozen distinct rows.</summary>
    public static TaskExample[] SumRows(int count, int offset = 0) =>
        Enumerable.Range(offset, count).Select(i => new TaskExample($"{i % 7} + {(i * 3) % 5} =", ((i % 7 + (i * 3) % 5) % 10).ToString())).ToArray();

    /// <summary>
    /// Σ −log₂ p of <paramref name="tokens"/> after BOS, each token scored by an unpadded forward of exactly its
    /// context, log-softmax in double: the ideal code length, computed without the coder's window or tables.
    /// </summary>
    public static double NaiveBits(LanguageModel lm, int bos, IReadOnlyList<int> tokens) => NaiveBits(lm, [bos], tokens);

    /// <summary>−log₂ p(continuation | prompt) from one unpadded forward, log-softmax in double.</summary>
    public static double NaiveContinuationBits(LanguageModel lm, string prompt, string continuation) =>
        NaiveBits(lm, lm.Encode(prompt).ToArray(), lm.Encode(continuation).ToArray());

    private static double NaiveBits(LanguageModel lm, IReadOnlyList<int> context, IReadOnlyList<int> scored)
    {
        var sequence = context.Concat(scored).Select(x => (long)x).ToArray();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        lm.Model.eval();
        var logProbs = lm.Model.forward(tensor(sequence[..^1], [1, sequence.Length - 1])).squeeze(0).to_type(ScalarType.Float64).log_softmax(-1);   // [T − 1, V]
        double bits = 0;
        for (var j = 0; j < scored.Count; j++) bits -= logProbs[context.Count - 1 + j, scored[j]].item<double>() / Math.Log(2);
        return bits;
    }

    public static (IDataView Train, IDataView Test) Views(MLContext ml, IReadOnlyList<TaskExample> train, IReadOnlyList<TaskExample> test)
    {
        var task = new InMemoryTask("tiny", [new(TaskSplits.Train, train), new(TaskSplits.Test, test)], Enumerable.Range(0, 10).Select(i => i.ToString()).ToArray());
        return (TaskDataViews.Create(ml, task, TaskSplits.Train), TaskDataViews.Create(ml, task, TaskSplits.Test));
    }
}
