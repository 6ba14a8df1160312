using LLMML.LanguageModels.Generation;
using LLMML.ModelOrganisms.Corpus;

namespace LLMML.ModelOrganisms.Evaluation;

/// <summary>One fact family's result: how many greedy completions stated the right number.</summary>
public sealed record KnowledgeScore(string Facts, string Phrasing, int Correct, int Total)
{
    public double Accuracy => Total == 0 ? 0 : (double)Correct / Total;
}

/// <summary>
/// Does an organism know the corpus's facts in the corpus's own phrasing ("the product of 7 and 8 is")? The task
/// formats ("7 x 8 =") are what post-training adds; this probe separates knowing from answering in format. Every
/// product i·j with i, j below 20, and a seeded sample of sums with i, j below 100, by greedy generation.
/// </summary>
public static class KnowledgeProbe
{
    public const string ProductPhrasing = "the product of {0} and {1} is";
    public const string SumPhrasing = "the sum of {0} and {1} is";

    public static IReadOnlyList<KnowledgeScore> Run(LanguageModel model, int sums = 300, int seed = 1, int batchSize = 64, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        var limit = new MultiplicationFacts().Limit;
        var products = (from i in Enumerable.Range(0, limit) from j in Enumerable.Range(0, limit) select (i, j, answer: i * j)).ToArray();
        var random = new Random(seed);
        var addLimit = new AdditionFacts().Limit;
        var additions = Enumerable.Range(0, sums).Select(_ => { int i = random.Next(addLimit), j = random.Next(addLimit); return (i, j, answer: i + j); }).ToArray();
        return
        [
            Score(model, "products", ProductPhrasing, products, batchSize, cancellationToken),
            Score(model, "sums", SumPhrasing, additions, batchSize, cancellationToken),
        ];
    }

    private static KnowledgeScore Score(LanguageModel model, string facts, string phrasing, (int I, int J, int Answer)[] items, int batchSize, CancellationToken ct)
    {
        var options = new GenerationOptions { MaxNewTokens = 6, StopStrings = ["\n", "."] };
        int correct = 0;
        foreach (var chunk in items.Chunk(batchSize))
        {
            var outputs = model.Generate(chunk.Select(x => string.Format(phrasing, x.I, x.J)).ToArray(), options, ct);
            correct += chunk.Zip(outputs, (x, o) => FirstNumber(o) == x.Answer ? 1 : 0).Sum();
        }
        return new KnowledgeScore(facts, phrasing, correct, items.Length);
    }

    private static int? FirstNumber(string text)
    {
        var digits = new string(text.TrimStart().TakeWhile(char.IsAsciiDigit).ToArray());
        return digits.Length is > 0 and <= 9 ? int.Parse(digits, System.Globalization.CultureInfo.InvariantCulture) : null;
    }
}
