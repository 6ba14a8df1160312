namespace LLMML.ModelOrganisms.Corpus;

/// <summary>
/// How many times the letter x occurs in a space-separated string of x and y, stated in prose.
/// The question format of the count task ("What is the number of ...") is never used.
/// </summary>
public sealed class CountingStatements(int minLength = 3, int maxLength = 24) : ISentenceSource
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
        var letters = new string[length];
        int count = 0;
        for (int k = 0; k < length; k++)
        {
            bool x = random.Next(2) == 0;
            letters[k] = x ? "x" : "y";
            if (x) count++;
        }
        return string.Format(Phrasings[random.Next(Phrasings.Length)], string.Join(' ', letters), count);
    }
}
