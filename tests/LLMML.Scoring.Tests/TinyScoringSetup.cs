using LLMML.LanguageModels.Generation;
using LLMML.LanguageModels.Modeling;
using LLMML.LanguageModels.Tokenization;
using LLMML.MLNet.Tasks;
using Microsoft.ML;
using static TorchSharp.torch;

namespace LLMML.Scoring.Tests;

/// <summary>A tiny random GPT-2 over a character alphabet, a small closed-set task, and the naive reference scorer.</summary>
internal static class TinyScoringSetup
{
    public const string Alphabet = "0123456789+x= ?abyesno\n";

    /// <summary>Answers share prefixes (" 1", " 12", " 120") and differ in length, so the trie has several rows.</summary>
    public static readonly string[] Answers = ["0", "1", "2", "7", "12", "13", "120", "yes", "no"];

    public static LanguageModel CreateModel(int seed = 7)
    {
        manual_seed(seed);
        var tokenizer = new CharacterTokenizer(Alphabet);
        var config = TransformerConfig.Gpt2(32, 2, 4, tokenizer.VocabularySize, 48) with
        {
            BosTokenId = tokenizer.BosId,
            EosTokenId = tokenizer.EosId,
            PadTokenId = tokenizer.PadId,
        };
        var model = new CausalLanguageModel(config);
        // Sharpen the random distributions so arg-maxes are not near-ties.
        using (no_grad())
            foreach (var (name, p) in model.named_parameters())
                if (p.dim() == 2) p.mul_(12.0);
        return new LanguageModel(model, tokenizer);
    }

    public static string[] Prompts(int count) =>
        Enumerable.Range(0, count).Select(i => i % 4 == 3 ? $"is {i} a {i + 1}?" : $"{i % 10} {(i % 3 == 0 ? "x" : "+")} {(i * 7) % 13} =").ToArray();

    /// <summary>log p(continuation | prompt): one unpadded forward of prompt + continuation, log-softmax in double.</summary>
    public static double NaiveLogLikelihood(LanguageModel lm, string prompt, string continuation)
    {
        var p = lm.Encode(prompt).ToArray();
        var c = lm.Encode(continuation).ToArray();
        var sequence = p.Concat(c).Select(x => (long)x).ToArray();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        lm.Model.eval();
        var logits = lm.Model.forward(tensor(sequence, [1, sequence.Length])).squeeze(0).to_type(ScalarType.Float64);   // [T, V]
        var logProbs = logits.log_softmax(-1);
        double sum = 0;
        for (var j = 0; j < c.Length; j++) sum += logProbs[p.Length - 1 + j, c[j]].item<double>();
        return sum;
    }

    public static double[] Softmax(double[] x)
    {
        var max = x.Max();
        var e = x.Select(v => Math.Exp(v - max)).ToArray();
        var s = e.Sum();
        return e.Select(v => v / s).ToArray();
    }

    /// <summary>A task of test rows the test chooses; <paramref name="answerSet"/> null for open answers.</summary>
    public static InMemoryTask FixedTask(string name, IReadOnlyList<string>? answerSet, IReadOnlyList<TaskExample> examples) =>
        InMemoryTask.OfTest(name, examples, answerSet, "test rows");

    public static IDataView Load(MLContext ml, InMemoryTask task) => TaskDataViews.Create(ml, task, TaskSplits.Test);
}
