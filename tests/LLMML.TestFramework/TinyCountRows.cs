using LLMML.MLNet.Tasks;
using Microsoft.ML;

namespace LLMML.TestFramework;

/// <summary>
/// Short rows of the organisms' count task (2–5 x/y tokens, in the task's own prompt format) for tiny character-level
/// models: what the injection tests train count_x on, in the trainer's tests and in the sweeps over it.
/// </summary>
public static class TinyCountRows
{
    /// <summary>Every character the prompts and answers use (the vocabulary of <see cref="TinyLanguageModels.CharacterGpt2"/>).</summary>
    public const string Alphabet = "abcdefghijklmnopqrstuvwxyzAW '?:\n0123456789";

    private sealed class Row
    {
        public string Prompt { get; set; } = "";
        public string Answer { get; set; } = "";
    }

    /// <summary><paramref name="count"/> rows with Prompt and Answer columns, drawn from <paramref name="seed"/>.</summary>
    public static IDataView Load(MLContext ml, int count, int seed)
    {
        var random = new Random(seed);
        var rows = Enumerable.Range(0, count).Select(_ =>
        {
            var tokens = Enumerable.Range(0, random.Next(2, 6)).Select(_ => random.Next(2) == 0 ? "x" : "y").ToArray();
            return new Row { Prompt = CountTask.PromptFor(string.Join(" ", tokens)), Answer = tokens.Count(t => t == "x").ToString() };
        }).ToArray();
        return ml.Data.LoadFromEnumerable(rows);
    }
}
