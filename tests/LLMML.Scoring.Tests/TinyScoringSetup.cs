using LLMML.LanguageModels.Generation;
using LLMML.MLNet.Tasks;
using LLMML.TestFramework;
using Microsoft.ML;

namespace LLMML.Scoring.Tests;

/// <summary>This project's alphabet, answers and prompts over the shared tiny models and naive reference (LLMML.TestFramework).</summary>
internal static class TinyScoringSetup
{
    public const string Alphabet = "0123456789+x= ?abyesno\n";

    /// <summary>Answers share prefixes (" 1", " 12", " 120") and differ in length, so the trie has several rows.</summary>
    public static readonly string[] Answers = ["0", "1", "2", "7", "12", "13", "120", "yes", "no"];

    // Sharpened so arg-maxes are not near-ties.
    public static LanguageModel CreateModel(int seed = 7) => TinyLanguageModels.CharacterGpt2(Alphabet, seed, sharpen: 12.0);

    public static string[] Prompts(int count) =>
        Enumerable.Range(0, count).Select(i => i % 4 == 3 ? $"is {i} a {i + 1}?" : $"{i % 10} {(i % 3 == 0 ? "x" : "+")} {(i * 7) % 13} =").ToArray();

    /// <summary>log p(continuation | prompt), <see cref="NaiveScoring"/>.</summary>
    public static double NaiveLogLikelihood(LanguageModel lm, string prompt, string continuation) => NaiveScoring.LogLikelihood(lm, prompt, continuation);

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
