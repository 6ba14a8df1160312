using LLMML.Foundation.Persistence;
using LLMML.HostileInputs.Tests.Support;

namespace LLMML.HostileInputs.Tests;

/// <summary>The one output-path guard: no output may be an input (after links), lie inside an input directory, or be unwritable.</summary>
public sealed class OutputPathTests : IDisposable
{
    private readonly Sandbox sandbox = new();

    public void Dispose() => sandbox.Dispose();

    [Fact]
    public void An_output_that_is_the_input_is_refused()
    {
        var input = sandbox.At("papers.jsonl");
        File.WriteAllText(input, "{}\n");

        var act = () => OutputPath.CheckFile(input, input);

        act.Should().Throw<OutputPathException>().WithMessage("*is the input*");
    }

    [Fact]
    public void An_output_that_reaches_the_input_through_a_symbolic_link_is_refused()
    {
        var data = Directory.CreateDirectory(sandbox.At("data")).FullName;
        File.WriteAllText(Path.Combine(data, "papers.jsonl"), "{}\n");
        Directory.CreateSymbolicLink(sandbox.At("alias"), data);

        var act = () => OutputPath.CheckFile(sandbox.At("alias", "papers.jsonl"), Path.Combine(data, "papers.jsonl"));

        act.Should().Throw<OutputPathException>().WithMessage("*is the input*");
    }

    [Fact]
    public void An_output_inside_an_input_directory_is_refused()
    {
        var model = TinyCheckpoint.Write(sandbox.At("model"));

        var act = () => OutputPath.CheckFile(Path.Combine(model, "model.safetensors"), model);

        act.Should().Throw<OutputPathException>().WithMessage("*inside the input directory*");
    }

    [Fact]
    public void An_output_directory_containing_an_input_is_refused()
    {
        var model = TinyCheckpoint.Write(sandbox.At("runs", "model"));

        var act = () => OutputPath.CheckDirectory(sandbox.At("runs"), model);

        act.Should().Throw<OutputPathException>().WithMessage("*contains the input*");
    }

    [Fact]
    public void A_directory_given_as_an_output_file_is_refused()
    {
        var act = () => OutputPath.CheckFile(sandbox.Root);

        act.Should().Throw<OutputPathException>().WithMessage("*is a directory*");
    }

    [Fact]
    public void An_output_under_a_file_is_refused()
    {
        File.WriteAllText(sandbox.At("plain"), "x");

        var act = () => OutputPath.CheckFile(sandbox.At("plain", "out.csv"));

        act.Should().Throw<OutputPathException>().WithMessage("*is a file, not a directory*");
    }

    [Fact]
    public void A_fresh_output_elsewhere_passes_and_leaves_no_trace()
    {
        var input = sandbox.At("in.txt");
        File.WriteAllText(input, "x");
        var before = sandbox.Fingerprint();

        OutputPath.CheckFile(sandbox.At("new", "out.csv"), input).Should().Be(sandbox.At("new", "out.csv"));
        OutputPath.CheckDirectory(sandbox.At("export"), input);

        sandbox.ShouldBeUnchangedExcept(before);
    }
}
