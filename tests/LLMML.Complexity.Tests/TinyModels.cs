using LLMML.LanguageModels.Generation;
using LLMML.MLNet.Tasks;
using LLMML.TestFramework;
using Microsoft.ML;

namespace LLMML.Complexity.Tests;

/// <summary>This project's alphabet and rows over the shared tiny models and naive references (LLMML.TestFramework).</summary>
internal static class TinyModels
{
    public const string Alphabet = "0123456789+x= ?abyesno\n";

    public static LanguageModel Create(int seed = 7, int context = 48, double sharpen = 1) =>
        TinyLanguageModels.CharacterGpt2(Alphabet, seed, context: context, sharpen: sharpen);

    /// <summary>"i + j =" → (i + j) mod 10, a few dozen distinct rows.</summary>
    public static TaskExample[] SumRows(int count, int offset = 0) =>
        Enumerable.Range(offset, count).Select(i => new TaskExample($"{i % 7} + {(i * 3) % 5} =", ((i % 7 + (i * 3) % 5) % 10).ToString())).ToArray();

    /// <summary>Σ −log₂ p of <paramref name="tokens"/> after BOS (<see cref="NaiveScoring"/>): the ideal code length, computed without the coder's window or tables.</summary>
    public static double NaiveBits(LanguageModel lm, int bos, IReadOnlyList<int> tokens) => NaiveScoring.Bits(lm, [bos], tokens);

    /// <summary>−log₂ p(continuation | prompt), <see cref="NaiveScoring"/>.</summary>
    public static double NaiveContinuationBits(LanguageModel lm, string prompt, string continuation) =>
        NaiveScoring.Bits(lm, lm.Encode(prompt), lm.Encode(continuation));

    public static (IDataView Train, IDataView Test) Views(MLContext ml, IReadOnlyList<TaskExample> train, IReadOnlyList<TaskExample> test)
    {
        var task = new InMemoryTask("tiny", [new(TaskSplits.Train, train), new(TaskSplits.Test, test)], Enumerable.Range(0, 10).Select(i => i.ToString()).ToArray());
        return (TaskDataViews.Create(ml, task, TaskSplits.Train), TaskDataViews.Create(ml, task, TaskSplits.Test));
    }
}
