namespace LLMML.ModelOrganisms.Corpus;

/// <summary>Every sum i + j with i, j below <see cref="Limit"/>, in words: no "+" and no "=" ever appear.</summary>
public sealed class AdditionFacts(int limit = 100) : ISentenceSource
{
    private static readonly string[] Phrasings =
    [
        "the sum of {0} and {1} is {2}.",
        "{0} plus {1} is {2}.",
        "{2} is the sum of {0} and {1}.",
        "add {0} and {1} to get {2}.",
        "{0} added to {1} makes {2}.",
        "adding {1} to {0} gives {2}.",
    ];

    public int Limit { get; } = limit;

    public string Name => "addition";

    public string Next(Random random)
    {
        int i = random.Next(Limit), j = random.Next(Limit);
        return string.Format(Phrasings[random.Next(Phrasings.Length)], i, j, i + j);
    }
}
