using LLMML.LanguageModels.Answers;

namespace LLMML.LanguageModels.Tests.Answers;

public class ContinuationTrieTests
{
    private static IReadOnlyList<int> Chars(string s) => s.Select(c => (int)c).ToArray();

    [Fact]
    public void IntSumAnswersNeedEighteenRowsAndEveryRowExtendsItsContinuationsPrefix()
    {
        var continuations = Enumerable.Range(0, 199).Select(n => Chars(" " + n)).ToArray();
        var trie = ContinuationTrie.Build(continuations);
        // Inner nodes with no inner child: " 2".." 9" (their children " 20".." 99" are leaves) and " 10".." 19".
        trie.Paths.Should().HaveCount(18);
        for (var k = 0; k < continuations.Length; k++)
        {
            var path = trie.Paths[trie.PathOf[k]];
            path.Take(continuations[k].Count - 1).Should().Equal(continuations[k].Take(continuations[k].Count - 1), $"answer {k}");
        }
    }

    [Fact]
    public void CommonPrefixPlusOneTokenIsASingleRow()
    {
        var trie = ContinuationTrie.Build([Chars(" a"), Chars(" b"), Chars(" c")]);
        trie.Paths.Should().ContainSingle().Which.Should().Equal(Chars(" "));
        trie.PathOf.Should().Equal(0, 0, 0);
    }

    [Fact]
    public void EmptyContinuationIsRejected()
    {
        var act = () => ContinuationTrie.Build([Chars(" a"), []]);
        act.Should().Throw<ArgumentException>().WithMessage("*Continuation 1*");
    }

    [Fact]
    public void InnerNodesComeParentsFirstAndNameEveryProperPrefix()
    {
        var continuations = new[] { " 1", " 12", " 13", " 120", " 7", "ab" }.Select(Chars).ToArray();
        var trie = ContinuationTrie.Build(continuations);
        // Proper prefixes with a child: " ", " 1", " 12", "a" — each once.
        trie.InnerNodes.Should().HaveCount(4);
        for (var n = 0; n < trie.InnerNodes.Count; n++)
        {
            var node = trie.InnerNodes[n];
            node.Parent.Should().BeLessThan(n);
            node.Depth.Should().Be(node.Parent < 0 ? 1 : trie.InnerNodes[node.Parent].Depth + 1);
        }
        string Text(int n) => n < 0 ? "" : Text(trie.InnerNodes[n].Parent) + (char)trie.InnerNodes[n].Token;
        for (var k = 0; k < continuations.Length; k++)
            for (var j = 1; j < continuations[k].Count; j++)
                Text(trie.InnerNodeOf(k, j)).Should().Be(new string(continuations[k].Take(j).Select(c => (char)c).ToArray()));
    }
}
