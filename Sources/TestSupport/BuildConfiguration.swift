/// True in optimised builds. Tests that train on all of MNIST are enabled only there, because a
/// debug build runs numeric loops 20–60 times slower; `make test` builds release.
public let isOptimizedBuild: Bool = {
    #if DEBUG
    return false
    #else
    return true
    #endif
}()
