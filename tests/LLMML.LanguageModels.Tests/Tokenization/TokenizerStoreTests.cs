using LLMML.LanguageModels.Tokenization;
using Microsoft.ML.Tokenizers;

namespace LLMML.LanguageModels.Tests.Tokenization;

public class TokenizerStoreTests
{
    [Fact]
    public void EmptyDirectoryFailsListingWhatWasLookedFor()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("config.json"), "{}");

        FluentActions.Invoking(() => TokenizerStore.Load(dir.Path)).Should().Throw<FileNotFoundException>()
            .WithMessage("*llmml_tokenizer.json*vocab.json*merges.txt*tokenizer.model*config.json*");
    }

    [Fact]
    public void VocabWithoutMergesSaysWhatIsMissing()
    {
        using var dir = new TempDirectory();
        File.Copy(Path.Combine(RepositoryData.TokenizersDirectory, "vocab.json"), dir.File("vocab.json"));

        FluentActions.Invoking(() => TokenizerStore.Load(dir.Path)).Should().Throw<FileNotFoundException>()
            .WithMessage("*'merges.txt' is missing*");
    }

    [Fact]
    public void MissingDirectoryFails()
    {
        FluentActions.Invoking(() => TokenizerStore.Load("/nonexistent/llmml")).Should().Throw<DirectoryNotFoundException>()
            .WithMessage("*/nonexistent/llmml*");
    }

    [Fact]
    public void CorruptBpeFilesFailNamingTheFileAndLine()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("vocab.json"), """{"a": 0, "b": 1, "ab": 2""");
        File.WriteAllText(dir.File("merges.txt"), "#version: 0.2\na b\n");
        FluentActions.Invoking(() => TokenizerStore.Load(dir.Path)).Should().Throw<InvalidDataException>()
            .WithMessage($"*{dir.File("vocab.json")}*");

        File.WriteAllText(dir.File("vocab.json"), """{"a": 0, "b": 1, "ab": 2}""");
        File.WriteAllText(dir.File("merges.txt"), "#version: 0.2\na b\nab b\n");
        FluentActions.Invoking(() => TokenizerStore.Load(dir.Path)).Should().Throw<InvalidDataException>()
            .WithMessage($"*{dir.File("merges.txt")}* line 3*abb*");
    }

    [Fact]
    public void BpeLoadedFromADirectorySavesTheSameFiles()
    {
        using var copy = new TempDirectory();
        var tokenizer = TokenizerStore.Load(RepositoryData.TokenizersDirectory);

        TokenizerStore.Save(tokenizer, copy.Path);

        foreach (var name in new[] { "vocab.json", "merges.txt" })
            File.ReadAllBytes(copy.File(name)).Should().Equal(File.ReadAllBytes(Path.Combine(RepositoryData.TokenizersDirectory, name)), name);
        TokenizerStore.Load(copy.Path).EncodeToIds("Hello world").Should().Equal(15496, 995);
    }

    [Fact]
    public void CharacterTokenizerWinsWhenSeveralFormatsArePresent()
    {
        using var dir = new TempDirectory();
        File.Copy(Path.Combine(RepositoryData.TokenizersDirectory, "vocab.json"), dir.File("vocab.json"));
        File.Copy(Path.Combine(RepositoryData.TokenizersDirectory, "merges.txt"), dir.File("merges.txt"));
        TokenizerStore.Save(new CharacterTokenizer("01"), dir.Path);

        TokenizerStore.Load(dir.Path).Should().BeOfType<CharacterTokenizer>();
    }

    [Fact]
    public void UnsupportedTokenizerCannotBeSaved()
    {
        using var dir = new TempDirectory();
        var bpe = BpeTokenizer.Create(new BpeOptions(new Dictionary<string, int> { ["a"] = 0 }));

        FluentActions.Invoking(() => TokenizerStore.Save(bpe, dir.Path)).Should().Throw<NotSupportedException>()
            .WithMessage("*BpeTokenizer*");
    }
}
