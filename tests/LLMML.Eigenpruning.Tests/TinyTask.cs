using LLMML.LanguageModels.Answers;
using LLMML.LanguageModels.Generation;
using LLMML.TestFramework;
using static TorchSharp.torch;

namespace LLMML.Eigenpruning.Tests;

/// <summary>A tiny random GPT-2 over digits and a few symbols, and prompt → answer examples for it.</summary>
internal static class TinyTask
{
    public const string Alphabet = "0123456789 x=+\n";

    public static LanguageModel Model(int seed = 5, double scale = 1.0, long hidden = 16, int layers = 2, int heads = 4)
    {
        var lm = TinyLanguageModels.CharacterGpt2(Alphabet, seed, hidden, layers, heads, context: 32);
        var model = lm.Model;
        using (no_grad())
            foreach (var (name, p) in model.named_parameters())
            {
                // Non-zero biases and norm gains away from 1, so mean ablation and every code path are exercised.
                if (name.EndsWith("bias")) p.copy_(randn(p.shape) * 0.1);
                else if (name.Contains("norm")) p.copy_(1 + randn(p.shape) * 0.1);
                else p.mul_(scale);
            }
        model.eval();
        return lm;
    }

    /// <summary>"i x j =" → " (i·j mod 10)\n" for a few pairs: prompts of different lengths, two-token answers.</summary>
    public static PromptAnswerTokens[] Examples(LanguageModel model, int count, int seed = 1)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ =>
        {
            int i = random.Next(20), j = random.Next(20);
            return model.EncodeContinuation($"{i} x {j} =", $" {i * j % 10}\n");
        }).ToArray();
    }

    /// <summary>Spearman rank correlation (average ranks for ties).</summary>
    public static double Spearman(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        static double[] Ranks(IReadOnlyList<double> v)
        {
            var order = Enumerable.Range(0, v.Count).OrderBy(i => v[i]).ToArray();
            var ranks = new double[v.Count];
            for (var k = 0; k < order.Length;)
            {
                var end = k;
                while (end + 1 < order.Length && v[order[end + 1]] == v[order[k]]) end++;
                for (var m = k; m <= end; m++) ranks[order[m]] = (k + end) / 2.0;
                k = end + 1;
            }
            return ranks;
        }
        var (ra, rb) = (Ranks(a), Ranks(b));
        double ma = ra.Average(), mb = rb.Average();
        var cov = ra.Zip(rb).Sum(p => (p.First - ma) * (p.Second - mb));
        return cov / Math.Sqrt(ra.Sum(x => (x - ma) * (x - ma)) * rb.Sum(x => (x - mb) * (x - mb)));
    }
}
