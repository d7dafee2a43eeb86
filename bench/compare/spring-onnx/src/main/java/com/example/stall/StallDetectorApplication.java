package com.example.stall;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** A typical hand-written model service: Spring Boot MVC (Tomcat) in front of one shared ONNX Runtime session. */
@SpringBootApplication
public class StallDetectorApplication {
    public static void main(String[] args) {
        SpringApplication.run(StallDetectorApplication.class, args);
    }
}
