from kspos.korean import josa


def test_particles_follow_the_last_syllable() -> None:
    assert josa("커피", "을", "를") == "커피를"
    assert josa("온도", "을", "를") == "온도를"
    assert josa("사이즈", "은", "는") == "사이즈는"
    assert josa("아메리카노", "은", "는") == "아메리카노는"
    assert josa("원두 200g", "은", "는") == "원두 200g는"
    assert josa("가격", "은", "는") == "가격은"
    assert josa("케이크 1", "은", "는") == "케이크 1은"
