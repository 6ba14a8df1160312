namespace LLMML.ModelOrganisms.Corpus;

/// <summary>
/// How many times the letter x occurs in a space-separated string of x and y, stated in prose.
/// The question format of the count task ("What is the number of ...") is never used. Lengths cover the count
/// task's 5–40 tokens, and the count is uniform over 0..length (as in the task) so large and small counts are
/// as common as middling ones.
/// </summary>
public sealed class CountingStatements(int minLength = 3, int maxLength = 40) : ISentenceSource
{
    private static readonly string[] Phrasings =
    [
        "in {0} the letter x appears {1} times.",
        "counting the x in {0} gives {1}.",
        "{1} of the letters in {0} are x.",
        "there are {1} x in {0}.",
    ];

    public string Name => "counting";

    public string Next(Random random)
    {
        int length = random.Next(minLength, maxLength + 1);
        int count = random.Next(length + 1);
        var letters = new string[length];
        for (int k = 0; k < length; k++) letters[k] = k < count ? "x" : "y";
        random.Shuffle(letters);
        return string.Format(Phrasings[random.Next(Phrasings.Length)], string.Join(' ', letters), count);
    }
}
