namespace LLMML.ModelOrganisms.Corpus;

/// <summary>Plain everyday sentences, so the model also learns the words and punctuation around facts.</summary>
public sealed class FillerSentences : ISentenceSource
{
    private static readonly string[] Subjects = ["the cat", "a child", "my friend", "the teacher", "our dog", "the farmer", "a bird", "the baker"];
    private static readonly string[] Verbs = ["saw", "found", "liked", "carried", "painted", "counted", "washed", "sold"];
    private static readonly string[] Objects = ["the red box", "a small stone", "three apples", "the old book", "a blue cup", "the long rope", "some bread", "a paper kite"];
    private static readonly string[] Endings = ["in the morning", "after school", "near the river", "at the market", "before dinner", "on the hill"];

    public string Name => "filler";

    public string Next(Random random) =>
        $"{Pick(random, Subjects)} {Pick(random, Verbs)} {Pick(random, Objects)} {Pick(random, Endings)}.";

    private static string Pick(Random random, string[] words) => words[random.Next(words.Length)];
}
