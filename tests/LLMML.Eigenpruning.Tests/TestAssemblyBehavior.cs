using System.Runtime.CompilerServices;

// Tests here seed torch's process-wide generator to build their tiny models; classes running in parallel would draw from it concurrently.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace LLMML.Eigenpruning.Tests;

internal static class TestAssemblyBehavior
{
    /// <summary>
    /// One torch thread: the tiny models gain nothing from a second one, and `dotnet test` runs test hosts side by side on
    /// two cores, where two spinning OpenMP threads per host made these tests an order of magnitude slower.
    /// </summary>
    [ModuleInitializer]
    internal static void UseOneTorchThread() => TorchSharp.torch.set_num_threads(1);
}
