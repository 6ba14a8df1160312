using LLMML.LanguageModels.Tokenization;
using Microsoft.ML.Tokenizers;

namespace LLMML.LanguageModels.Tests.Tokenization;

public class Gpt2TokenizerTests
{
    // A page of varied text: prose, punctuation, digits, contractions (including upper-case ones GPT-2 does not split),
    // whitespace runs, tabs, CR/LF, accents (composed and combining), CJK, emoji, symbols and the end-of-text token.
    private static readonly string VariedPage = """
        The quick brown fox jumps over the lazy dog. It's 3:45pm on 2024-07-01; they'll've left by then, won't they?
        I'm sure you're right -- we'd've known. DON'T SHOUT; It'S fine. "Quoted," she said, 'single quoted'.
            Indented   with    runs of spaces,	tabs		and trailing spaces   
        Numbers: 0 1 12 123 1234 12345 3.14159 -42 +7 1e-10 0x1F $19.99 50% #1 @user me@example.com
        Unicode: naïve café résumé Ångström façade – em — dash … ellipsis «guillemets» “curly” ‘quotes’
        CJK: 日本語のテキスト 中文 한국어; Greek αβγ; Cyrillic привет
        Emoji: 🤖🚀 👩‍💻 ❤️ 🇩🇪; math ∑∫√∞ ≤ ≥ ≠; code: if (x != y) { return a[i] * 2; } // done
        """
        + "\nCombining: e\u0301 a\u0308 n\u0303\r\nLine one\r\nLine two\r\n\r\n\n\n"
        + "Last line with <|endoftext|> in it<|endoftext|>\u00a0\u2003 \t\n";

    [Fact]
    public void TiktokenGpt2GivesTheGoldenIds()
    {
        var tokenizer = TokenizerStore.Gpt2Tiktoken();

        tokenizer.EncodeToIds("Hello world").Should().Equal(15496, 995);
        tokenizer.Decode([15496, 995]).Should().Be("Hello world");
    }

    [Fact]
    public void BpeFromRepositoryFilesMatchesTiktokenOnAVariedPage()
    {
        var bpe = TokenizerStore.Load(RepositoryData.TokenizersDirectory);
        var tiktoken = TokenizerStore.Gpt2Tiktoken();

        bpe.Should().BeOfType<BpeTokenizer>();
        var expected = tiktoken.EncodeToIds(VariedPage);
        expected.Count.Should().BeGreaterThan(300, "the page must exercise many merges");
        bpe.EncodeToIds(VariedPage).Should().Equal(expected);
        bpe.Decode(expected).Should().Be(VariedPage);
    }

    [Theory]
    [InlineData("Hello world", new[] { 15496, 995 })]
    [InlineData(" Hello", new[] { 18435 })]
    [InlineData("a  b", new[] { 64, 220, 275 })]
    [InlineData("x<|endoftext|>y", new[] { 87, 50256, 88 })]
    public void BpeFromRepositoryFilesGivesKnownIds(string text, int[] ids)
    {
        var bpe = TokenizerStore.Load(RepositoryData.TokenizersDirectory);

        bpe.EncodeToIds(text).Should().Equal(ids);
        bpe.Decode(ids).Should().Be(text);
    }

    [Fact]
    public void SavingTiktokenGpt2RebuildsTheOriginalHuggingFaceFiles()
    {
        using var dir = new TempDirectory();

        TokenizerStore.Save(TokenizerStore.Gpt2Tiktoken(), dir.Path);

        var original = System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, int>>(
            File.ReadAllBytes(Path.Combine(RepositoryData.TokenizersDirectory, "vocab.json")))!;
        var rebuilt = System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, int>>(File.ReadAllBytes(dir.File("vocab.json")))!;
        rebuilt.Should().HaveCount(50257).And.Equal(original);

        static string[] Merges(string path) => File.ReadAllLines(path).Skip(1).Where(l => l.Length > 0).ToArray();
        Merges(dir.File("merges.txt")).Should().Equal(Merges(Path.Combine(RepositoryData.TokenizersDirectory, "merges.txt")));

        TokenizerStore.Load(dir.Path).EncodeToIds("Hello world, it's 2024!").Should()
            .Equal(TokenizerStore.Gpt2Tiktoken().EncodeToIds("Hello world, it's 2024!"));
    }
}
