using LLMML.Foundation.Persistence;
using LLMML.HostileInputs.Tests.Support;

namespace LLMML.HostileInputs.Tests;

/// <summary>Directory replacement: all or nothing, also after a save that was killed.</summary>
public sealed class AtomicDirectoryTests : IDisposable
{
    private readonly Sandbox _sandbox = new();

    public void Dispose() => _sandbox.Dispose();

    [Fact]
    public void A_failing_writer_leaves_the_directory_and_its_parent_as_they_were()
    {
        var dir = Directory.CreateDirectory(_sandbox.At("d")).FullName;
        File.WriteAllText(Path.Combine(dir, "weights"), "old");
        var before = _sandbox.Fingerprint();

        var act = () => AtomicDirectory.Write(dir, staging =>
        {
            File.WriteAllText(Path.Combine(staging, "weights"), "half");
            throw new IOException("No space left on device");
        }, name => name == "weights");

        act.Should().Throw<IOException>();
        _sandbox.ShouldBeUnchangedExcept(before);
    }

    [Fact]
    public void A_save_killed_between_the_two_renames_is_recovered_by_the_next_save()
    {
        // The state a kill leaves between "directory → aside" and "staging → directory".
        var aside = Directory.CreateDirectory(_sandbox.At(".d.0123.old")).FullName;
        File.WriteAllText(Path.Combine(aside, "weights"), "old");
        File.WriteAllText(Path.Combine(aside, "notes"), "mine");
        Directory.CreateDirectory(_sandbox.At(".d.4567.tmp"));

        AtomicDirectory.Write(_sandbox.At("d"), staging => File.WriteAllText(Path.Combine(staging, "weights"), "new"), name => name == "weights");

        File.ReadAllText(_sandbox.At("d", "weights")).Should().Be("new");
        File.ReadAllText(_sandbox.At("d", "notes")).Should().Be("mine", "the recovered old directory's other files are carried over");
        Directory.EnumerateFileSystemEntries(_sandbox.Root).Should().ContainSingle();
    }
}
