using LLMML.LanguageModels.Tokenization;

namespace LLMML.LanguageModels.Tests.Tokenization;

public class CharacterTokenizerTests
{
    private const string Digits = "0123456789+=";

    [Fact]
    public void IdsAreSpecialTokensThenTheAlphabetInOrder()
    {
        var tokenizer = new CharacterTokenizer(Digits);

        (tokenizer.PadId, tokenizer.BosId, tokenizer.EosId, tokenizer.UnkId).Should().Be((0, 1, 2, 3));
        tokenizer.VocabularySize.Should().Be(4 + Digits.Length);
        // Hand-computed: '1' → 4 + 1, '2' → 4 + 2, '+' → 4 + 10, '=' → 4 + 11, '3' → 4 + 3.
        tokenizer.EncodeToIds("12+3=").Should().Equal(5, 6, 14, 7, 15);
    }

    [Fact]
    public void RoundTripsTextWithSpecialTokensAndUnicode()
    {
        var tokenizer = new CharacterTokenizer("ab é🤖\n", ["<sep>"]);
        const string text = "<bos>ab é<sep>🤖\nba<eos><pad>";

        var ids = tokenizer.EncodeToIds(text);

        // <pad>0 <bos>1 <eos>2 <unk>3 <sep>4, then a5 b6 ' '7 é8 🤖9 \n10.
        ids.Should().Equal(1, 5, 6, 7, 8, 4, 9, 10, 6, 5, 2, 0);
        tokenizer.Decode(ids).Should().Be(text);
        tokenizer.Decode(ids, skipSpecialTokens: true).Should().Be("ab é🤖\nba");
        var tokens = tokenizer.EncodeToTokens(text, out _);
        tokens[6].Value.Should().Be("🤖");
        tokens[6].Offset.Should().Be(new Range(14, 16));
    }

    [Fact]
    public void UnknownCharactersBecomeUnkOrThrowInStrictMode()
    {
        var lenient = new CharacterTokenizer(Digits);
        lenient.EncodeToIds("1x2").Should().Equal(5, lenient.UnkId, 6);

        var strict = lenient.WithStrict(true);
        var act = () => strict.EncodeToIds("12+x3");
        act.Should().Throw<ArgumentException>().WithMessage("*'x' (U+0078) at position 3*alphabet*");
    }

    [Fact]
    public void MaxTokenCountTruncatesAndReportsCharsConsumed()
    {
        var tokenizer = new CharacterTokenizer("ab🤖");

        var ids = tokenizer.EncodeToIds("a🤖bab", maxTokenCount: 3, out _, out var consumed);

        ids.Should().Equal(4, 6, 5);
        consumed.Should().Be(4);
        tokenizer.CountTokens("a🤖bab").Should().Be(5);
    }

    [Fact]
    public void SavesAndLoadsAsJson()
    {
        using var dir = new TempDirectory();
        var original = new CharacterTokenizer("xyz 01", ["<sep>", "<mask>"], strict: true);

        TokenizerStore.Save(original, dir.Path);
        var loaded = TokenizerStore.Load(dir.Path).Should().BeOfType<CharacterTokenizer>().Subject;

        File.Exists(dir.File("llmml_tokenizer.json")).Should().BeTrue();
        loaded.Alphabet.Should().Be(original.Alphabet);
        loaded.Strict.Should().BeTrue();
        loaded.SpecialTokens.Should().Equal(original.SpecialTokens);
        loaded.EncodeToIds("<sep>x y<mask>10").Should().Equal(original.EncodeToIds("<sep>x y<mask>10"));
    }

    [Fact]
    public void RejectsBadAlphabetsAndIds()
    {
        FluentActions.Invoking(() => new CharacterTokenizer("abca")).Should().Throw<ArgumentException>().WithMessage("*'a'*twice*");
        FluentActions.Invoking(() => new CharacterTokenizer("")).Should().Throw<ArgumentException>().WithMessage("*empty*");
        FluentActions.Invoking(() => new CharacterTokenizer("ab").Decode([0, 99])).Should()
            .Throw<InvalidOperationException>().WithMessage("*99*index 1*");
    }

    [Fact]
    public void CorruptFileFailsNamingTheFile()
    {
        using var dir = new TempDirectory();
        var path = dir.File(CharacterTokenizer.FileName);

        File.WriteAllText(path, "{ \"format\": \"llmml-character-tokenizer\", \"version\": 1, \"alph");
        FluentActions.Invoking(() => CharacterTokenizer.Load(path)).Should().Throw<InvalidDataException>().WithMessage($"*{path}*not valid JSON*");

        File.WriteAllText(path, """{ "format": "llmml-character-tokenizer", "version": 1, "alphabet": "ab", "special_tokens": ["<bos>"] }""");
        FluentActions.Invoking(() => TokenizerStore.Load(dir.Path)).Should().Throw<InvalidDataException>().WithMessage("*<pad>, <bos>, <eos>, <unk> first*");
    }
}
