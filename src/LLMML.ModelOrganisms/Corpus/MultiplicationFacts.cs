namespace LLMML.ModelOrganisms.Corpus;

/// <summary>
/// Every product i·j with i, j below <see cref="Limit"/>, in natural phrasings only: the task format
/// "{i} x {j} =" never appears, so a model that learns these knows the facts but not the format.
/// Answer-first phrasings are included so the knowledge is not tied to one reading direction.
/// </summary>
public sealed class MultiplicationFacts(int limit = 20) : ISentenceSource
{
    private static readonly string[] Phrasings =
    [
        "the product of {0} and {1} is {2}.",
        "{0} times {1} is {2}.",
        "{2} is the product of {0} and {1}.",
        "multiply {0} by {1} and you get {2}.",
        "if you multiply {0} and {1}, the result is {2}.",
        "{0} multiplied by {1} equals {2}.",
        "{0} groups of {1} make {2}.",
        "{2} is what you get when {0} is multiplied by {1}.",
    ];

    public int Limit { get; } = limit;

    public string Name => "multiplication";

    public string Next(Random random)
    {
        int i = random.Next(Limit), j = random.Next(Limit);
        return string.Format(Phrasings[random.Next(Phrasings.Length)], i, j, i * j);
    }
}
