using Jobwright.Handlers;
using Jobwright.Operations;
using Microsoft.Extensions.DependencyInjection;

namespace Jobwright.Hosting;

/// <summary>Registers operations with a Jobwright node.</summary>
public sealed class JobwrightBuilder
{
    internal JobwrightBuilder(IServiceCollection services, OperationRegistry operations)
    {
        Services = services;
        Operations = operations;
    }

    /// <summary>The application's services.</summary>
    public IServiceCollection Services { get; }

    /// <summary>The operations registered so far.</summary>
    public OperationRegistry Operations { get; }

    /// <summary>
    /// Registers an operation whose handler is created per job from the container
    /// (constructor injection). <paramref name="configure"/> declares parameters and policies.
    /// </summary>
    public JobwrightBuilder AddOperation<THandler>(string name, string group, Func<OperationDefinition, OperationDefinition>? configure = null)
        where THandler : class, IJobHandler
    {
        // The factory is compiled once; a handler is then created per job with constructor injection.
        var factory = ActivatorUtilities.CreateFactory<THandler>(Type.EmptyTypes);
        var operation = new OperationDefinition
        {
            Name = name,
            Group = group,
            CreateHandler = services => factory(services, null),
        };
        Operations.Add(configure is null ? operation : configure(operation));
        return this;
    }

    /// <summary>Registers a fully described operation.</summary>
    public JobwrightBuilder AddOperation(OperationDefinition operation)
    {
        Operations.Add(operation);
        return this;
    }
}
