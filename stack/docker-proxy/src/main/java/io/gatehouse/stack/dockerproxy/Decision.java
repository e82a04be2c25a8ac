package io.gatehouse.stack.dockerproxy;

/** What the proxy does with one request. */
sealed interface Decision {

    /** Forward the request upstream as it came (with its body, already read). */
    record Forward() implements Decision {
    }

    /** Answer 403 with a Docker-shaped message saying what was refused and why. */
    record Refuse(String why) implements Decision {
    }

    /** Answer with what the engine said about the object the request names (a 404 for an unknown id). */
    record Answer(int status, byte[] body) implements Decision {
    }

    static Decision forward() {
        return new Forward();
    }

    static Decision refuse(String why) {
        return new Refuse(why);
    }
}
